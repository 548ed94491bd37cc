/**
 * The WSDL and schemas of the two tracking services, as the real ones are laid out
 * (https://tracking.russianpost.ru/rtm34?wsdl: definitions «OperationHistory12», SOAP 1.2 binding,
 * schemas imported from `rtm34?xsd=N`; https://tracking.russianpost.ru/fc?wsdl: «ItemDataService»,
 * portType «FederalClient», SOAP 1.1 binding, schemas `fc?xsd=1|2`). Operation, message, fault,
 * element and namespace names are the real ones; the schemas declare only what the replica serves
 * (getOperationHistory; getTicket, getResponseByTicket).
 */

export const TRACKING_HOST = 'tracking.russianpost.ru';
export const NS_OH = 'http://russianpost.org/operationhistory';
export const NS_OH_DATA = 'http://russianpost.org/operationhistory/data';
export const NS_FC = 'http://fclient.russianpost.org';
export const NS_FC_SERVER = 'http://fclient.russianpost.org/postserver';

const XSD_HEAD = '<?xml version="1.0" encoding="UTF-8"?>';

/** `rtm34?wsdl`. */
export const RTM34_WSDL = `${XSD_HEAD}
<definitions xmlns:wsam="http://www.w3.org/2007/05/addressing/metadata" xmlns:soap12="http://schemas.xmlsoap.org/wsdl/soap12/" xmlns:tns="${NS_OH}" xmlns:xsd="http://www.w3.org/2001/XMLSchema" xmlns="http://schemas.xmlsoap.org/wsdl/" targetNamespace="${NS_OH}" name="OperationHistory12">
  <types>
    <xsd:schema><xsd:import namespace="${NS_OH_DATA}" schemaLocation="https://${TRACKING_HOST}/rtm34?xsd=5"/></xsd:schema>
    <xsd:schema><xsd:import namespace="${NS_OH}" schemaLocation="https://${TRACKING_HOST}/rtm34?xsd=6"/></xsd:schema>
  </types>
  <message name="getOperationHistory"><part name="parameters" element="tns:getOperationHistory"/></message>
  <message name="getOperationHistoryResponse"><part name="parameters" element="tns:getOperationHistoryResponse"/></message>
  <message name="OperationHistoryFault"><part xmlns:ns1="${NS_OH_DATA}" name="fault" element="ns1:OperationHistoryFaultReason"/></message>
  <message name="AuthorizationFault"><part xmlns:ns2="${NS_OH_DATA}" name="fault" element="ns2:AuthorizationFaultReason"/></message>
  <portType name="OperationHistory12">
    <operation name="getOperationHistory">
      <input wsam:Action="${NS_OH}/OperationHistory12/getOperationHistoryRequest" message="tns:getOperationHistory"/>
      <output wsam:Action="${NS_OH}/OperationHistory12/getOperationHistoryResponse" message="tns:getOperationHistoryResponse"/>
      <fault message="tns:OperationHistoryFault" name="OperationHistoryFault" wsam:Action="${NS_OH}/OperationHistory12/getOperationHistory/Fault/OperationHistoryFault"/>
      <fault message="tns:AuthorizationFault" name="AuthorizationFault" wsam:Action="${NS_OH}/OperationHistory12/getOperationHistory/Fault/AuthorizationFault"/>
    </operation>
  </portType>
  <binding name="OperationHistory12PortBinding" type="tns:OperationHistory12">
    <soap12:binding transport="http://schemas.xmlsoap.org/soap/http" style="document"/>
    <operation name="getOperationHistory">
      <soap12:operation soapAction=""/>
      <input><soap12:body use="literal"/></input>
      <output><soap12:body use="literal"/></output>
      <fault name="OperationHistoryFault"><soap12:fault name="OperationHistoryFault" use="literal"/></fault>
      <fault name="AuthorizationFault"><soap12:fault name="AuthorizationFault" use="literal"/></fault>
    </operation>
  </binding>
  <service name="OperationHistory12">
    <port name="OperationHistory12Port" binding="tns:OperationHistory12PortBinding"><soap12:address location="https://${TRACKING_HOST}/rtm34"/></port>
  </service>
</definitions>`;

const nameIdType = (name: string) => `<xsd:complexType name="${name}"><xsd:sequence><xsd:element name="Id" type="xsd:int" minOccurs="0"/><xsd:element name="Name" type="xsd:string" minOccurs="0"/></xsd:sequence></xsd:complexType>`;

/** `rtm34?xsd=5`: the data namespace. */
export const RTM34_XSD_DATA = `${XSD_HEAD}
<xs:schema xmlns:tns="${NS_OH_DATA}" xmlns:xs="http://www.w3.org/2001/XMLSchema" version="1.0" targetNamespace="${NS_OH_DATA}" elementFormDefault="qualified">
  <xs:element name="OperationHistoryRequest"><xs:complexType><xs:sequence>
    <xs:element name="Barcode" type="xs:string"/><xs:element name="MessageType" type="xs:int"/><xs:element name="Language" type="xs:string" minOccurs="0"/>
  </xs:sequence></xs:complexType></xs:element>
  <xs:element name="AuthorizationHeader"><xs:complexType><xs:sequence>
    <xs:element name="login" type="xs:string"/><xs:element name="password" type="xs:string"/>
  </xs:sequence></xs:complexType></xs:element>
  <xs:element name="OperationHistoryData"><xs:complexType><xs:sequence>
    <xs:element name="historyRecord" type="tns:OperationHistoryRecord" minOccurs="0" maxOccurs="unbounded"/>
  </xs:sequence></xs:complexType></xs:element>
  <xs:element name="OperationHistoryFaultReason" type="xs:string"/>
  <xs:element name="AuthorizationFaultReason" type="xs:string"/>
  <xs:complexType name="OperationHistoryRecord"><xs:sequence>
    <xs:element name="AddressParameters" type="tns:AddressParameters" minOccurs="0"/>
    <xs:element name="FinanceParameters" type="tns:FinanceParameters" minOccurs="0"/>
    <xs:element name="ItemParameters" type="tns:ItemParameters" minOccurs="0"/>
    <xs:element name="OperationParameters" type="tns:OperationParameters" minOccurs="0"/>
    <xs:element name="UserParameters" type="tns:UserParameters" minOccurs="0"/>
  </xs:sequence></xs:complexType>
  <xs:complexType name="Address"><xs:sequence><xs:element name="Index" type="xs:string" minOccurs="0"/><xs:element name="Description" type="xs:string" minOccurs="0"/></xs:sequence></xs:complexType>
  <xs:complexType name="Country"><xs:sequence>
    <xs:element name="Id" type="xs:int" minOccurs="0"/><xs:element name="Code2A" type="xs:string" minOccurs="0"/><xs:element name="Code3A" type="xs:string" minOccurs="0"/>
    <xs:element name="NameRU" type="xs:string" minOccurs="0"/><xs:element name="NameEN" type="xs:string" minOccurs="0"/>
  </xs:sequence></xs:complexType>
  <xs:complexType name="AddressParameters"><xs:sequence>
    <xs:element name="DestinationAddress" type="tns:Address" minOccurs="0"/><xs:element name="OperationAddress" type="tns:Address" minOccurs="0"/>
    <xs:element name="MailDirect" type="tns:Country" minOccurs="0"/><xs:element name="CountryFrom" type="tns:Country" minOccurs="0"/><xs:element name="CountryOper" type="tns:Country" minOccurs="0"/>
  </xs:sequence></xs:complexType>
  <xs:complexType name="FinanceParameters"><xs:sequence>
    <xs:element name="Payment" type="xs:long" minOccurs="0"/><xs:element name="Value" type="xs:long" minOccurs="0"/><xs:element name="MassRate" type="xs:long" minOccurs="0"/>
    <xs:element name="InsrRate" type="xs:long" minOccurs="0"/><xs:element name="AirRate" type="xs:long" minOccurs="0"/><xs:element name="Rate" type="xs:long" minOccurs="0"/><xs:element name="CustomDuty" type="xs:long" minOccurs="0"/>
  </xs:sequence></xs:complexType>
  <xs:complexType name="ItemParameters"><xs:sequence>
    <xs:element name="Barcode" type="xs:string" minOccurs="0"/><xs:element name="Internum" type="xs:string" minOccurs="0"/>
    <xs:element name="ValidRuType" type="xs:boolean" minOccurs="0"/><xs:element name="ValidEnType" type="xs:boolean" minOccurs="0"/>
    <xs:element name="ComplexItemName" type="xs:string" minOccurs="0"/>
    <xs:element name="MailRank" type="tns:NameId" minOccurs="0"/><xs:element name="PostMark" type="tns:NameId" minOccurs="0"/>
    <xs:element name="MailType" type="tns:NameId" minOccurs="0"/><xs:element name="MailCtg" type="tns:NameId" minOccurs="0"/>
    <xs:element name="Mass" type="xs:int" minOccurs="0"/>
  </xs:sequence></xs:complexType>
  <xs:complexType name="OperationParameters"><xs:sequence>
    <xs:element name="OperType" type="tns:NameId" minOccurs="0"/><xs:element name="OperAttr" type="tns:NameId" minOccurs="0"/><xs:element name="OperDate" type="xs:dateTime" minOccurs="0"/>
  </xs:sequence></xs:complexType>
  <xs:complexType name="UserParameters"><xs:sequence>
    <xs:element name="SendCtg" type="tns:NameId" minOccurs="0"/><xs:element name="Sndr" type="xs:string" minOccurs="0"/><xs:element name="Rcpn" type="xs:string" minOccurs="0"/>
  </xs:sequence></xs:complexType>
  ${nameIdType('NameId').replace(/xsd:/g, 'xs:')}
</xs:schema>`;

/** `rtm34?xsd=6`: the operation namespace. */
export const RTM34_XSD_OPS = `${XSD_HEAD}
<xs:schema xmlns:ns1="${NS_OH_DATA}" xmlns:xs="http://www.w3.org/2001/XMLSchema" version="1.0" targetNamespace="${NS_OH}">
  <xs:import namespace="${NS_OH_DATA}" schemaLocation="https://${TRACKING_HOST}/rtm34?xsd=5"/>
  <xs:element name="getOperationHistory"><xs:complexType><xs:sequence>
    <xs:element ref="ns1:OperationHistoryRequest" minOccurs="0"/><xs:element ref="ns1:AuthorizationHeader" minOccurs="0"/>
  </xs:sequence></xs:complexType></xs:element>
  <xs:element name="getOperationHistoryResponse"><xs:complexType><xs:sequence>
    <xs:element ref="ns1:OperationHistoryData" minOccurs="0"/>
  </xs:sequence></xs:complexType></xs:element>
</xs:schema>`;

/** `fc?wsdl`. */
export const FC_WSDL = `${XSD_HEAD}
<definitions xmlns:wsam="http://www.w3.org/2007/05/addressing/metadata" xmlns:soap="http://schemas.xmlsoap.org/wsdl/soap/" xmlns:tns="${NS_FC}" xmlns:xsd="http://www.w3.org/2001/XMLSchema" xmlns="http://schemas.xmlsoap.org/wsdl/" targetNamespace="${NS_FC}" name="ItemDataService">
  <types>
    <xsd:schema><xsd:import namespace="${NS_FC_SERVER}" schemaLocation="https://${TRACKING_HOST}/fc?xsd=1"/></xsd:schema>
    <xsd:schema><xsd:import namespace="${NS_FC}" schemaLocation="https://${TRACKING_HOST}/fc?xsd=2"/></xsd:schema>
  </types>
  <message name="getTicket"><part xmlns:ns1="${NS_FC_SERVER}" name="parameters" element="ns1:ticketRequest"/></message>
  <message name="getTicketResponse"><part xmlns:ns2="${NS_FC_SERVER}" name="parameters" element="ns2:ticketResponse"/></message>
  <message name="getResponseByTicket"><part xmlns:ns3="${NS_FC_SERVER}" name="parameters" element="ns3:answerByTicketRequest"/></message>
  <message name="getResponseByTicketResponse"><part xmlns:ns4="${NS_FC_SERVER}" name="parameters" element="ns4:answerByTicketResponse"/></message>
  <portType name="FederalClient">
    <operation name="getTicket">
      <input wsam:Action="${NS_FC}/FederalClient/getTicketRequest" message="tns:getTicket"/>
      <output wsam:Action="${NS_FC}/FederalClient/getTicketResponse" message="tns:getTicketResponse"/>
    </operation>
    <operation name="getResponseByTicket">
      <input wsam:Action="${NS_FC}/FederalClient/getResponseByTicketRequest" message="tns:getResponseByTicket"/>
      <output wsam:Action="${NS_FC}/FederalClient/getResponseByTicketResponse" message="tns:getResponseByTicketResponse"/>
    </operation>
  </portType>
  <binding name="ItemDataServicePortBinding" type="tns:FederalClient">
    <soap:binding transport="http://schemas.xmlsoap.org/soap/http" style="document"/>
    <operation name="getTicket"><soap:operation soapAction=""/><input><soap:body use="literal"/></input><output><soap:body use="literal"/></output></operation>
    <operation name="getResponseByTicket"><soap:operation soapAction=""/><input><soap:body use="literal"/></input><output><soap:body use="literal"/></output></operation>
  </binding>
  <service name="ItemDataService">
    <port name="ItemDataServicePort" binding="tns:ItemDataServicePortBinding"><soap:address location="https://${TRACKING_HOST}/fc"/></port>
  </service>
</definitions>`;

/** `fc?xsd=1`: requests and answers (their child elements are unqualified, as in the examples: `<login>`). */
export const FC_XSD_SERVER = `${XSD_HEAD}
<xs:schema xmlns:ns1="${NS_FC}" xmlns:xs="http://www.w3.org/2001/XMLSchema" version="1.0" targetNamespace="${NS_FC_SERVER}">
  <xs:import namespace="${NS_FC}" schemaLocation="https://${TRACKING_HOST}/fc?xsd=2"/>
  <xs:element name="ticketRequest"><xs:complexType><xs:sequence>
    <xs:element name="request" type="ns1:file"/><xs:element name="login" type="xs:string"/><xs:element name="password" type="xs:string"/><xs:element name="language" type="xs:string" minOccurs="0"/>
  </xs:sequence></xs:complexType></xs:element>
  <xs:element name="ticketResponse"><xs:complexType><xs:sequence>
    <xs:element name="value" type="xs:string" minOccurs="0"/><xs:element name="error" type="ns1:error" minOccurs="0"/>
  </xs:sequence></xs:complexType></xs:element>
  <xs:element name="answerByTicketRequest"><xs:complexType><xs:sequence>
    <xs:element name="ticket" type="xs:string"/><xs:element name="login" type="xs:string"/><xs:element name="password" type="xs:string"/>
  </xs:sequence></xs:complexType></xs:element>
  <xs:element name="answerByTicketResponse"><xs:complexType><xs:sequence>
    <xs:element name="value" type="ns1:file" minOccurs="0"/><xs:element name="error" type="ns1:error" minOccurs="0"/>
  </xs:sequence></xs:complexType></xs:element>
</xs:schema>`;

/** `fc?xsd=2`: the file of items (qualified `fcl:Item`), operations and errors. */
export const FC_XSD_TYPES = `${XSD_HEAD}
<xs:schema xmlns:tns="${NS_FC}" xmlns:xs="http://www.w3.org/2001/XMLSchema" version="1.0" targetNamespace="${NS_FC}" elementFormDefault="qualified">
  <xs:complexType name="file">
    <xs:sequence><xs:element name="Item" type="tns:item" minOccurs="0" maxOccurs="unbounded"/></xs:sequence>
    <xs:attribute name="FileName" type="xs:string"/><xs:attribute name="FileTypeID" type="xs:int"/><xs:attribute name="FileNumber" type="xs:int"/>
    <xs:attribute name="SenderID" type="xs:int"/><xs:attribute name="RecipientID" type="xs:int"/><xs:attribute name="DatePreparation" type="xs:string"/>
  </xs:complexType>
  <xs:complexType name="item">
    <xs:sequence>
      <xs:element name="Operation" type="tns:operation" minOccurs="0" maxOccurs="unbounded"/>
      <xs:element name="Error" type="tns:error" minOccurs="0" maxOccurs="unbounded"/>
    </xs:sequence>
    <xs:attribute name="Barcode" type="xs:string"/>
  </xs:complexType>
  <xs:complexType name="operation">
    <xs:attribute name="OperTypeID" type="xs:int"/><xs:attribute name="OperCtgID" type="xs:int"/><xs:attribute name="OperName" type="xs:string"/>
    <xs:attribute name="DateOper" type="xs:string"/><xs:attribute name="IndexOper" type="xs:string"/>
  </xs:complexType>
  <xs:complexType name="error"><xs:attribute name="ErrorTypeID" type="xs:int"/><xs:attribute name="ErrorName" type="xs:string"/></xs:complexType>
</xs:schema>`;

/** The document served at `path` + `?query` (`/rtm34?wsdl`, `/rtm34?xsd=5`, `/fc?xsd=2` …), or null. */
export function wsdlDocument(path: string, rawQuery: string): string | null {
  const q = rawQuery.toLowerCase();
  if (path === '/rtm34') return q === 'wsdl' ? RTM34_WSDL : q === 'xsd=5' ? RTM34_XSD_DATA : q === 'xsd=6' ? RTM34_XSD_OPS : null;
  if (path === '/fc') return q === 'wsdl' ? FC_WSDL : q === 'xsd=1' ? FC_XSD_SERVER : q === 'xsd=2' ? FC_XSD_TYPES : null;
  return null;
}
